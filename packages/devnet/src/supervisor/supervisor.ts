import { DevnetError, ProcessExitedError } from '../errors.js'
import { waitFor } from '../util/wait.js'
import { describeExit, ManagedProcess, type ProcessSpec } from './managed-process.js'

export type HealthCheck = (p: ManagedProcess) => Promise<boolean | undefined>

export type ServiceSpec = ProcessSpec & {
  /** Polled until it returns true. @default the process is running */
  health?: HealthCheck
  /** Bound on the wait for health. @default 30000 */
  healthTimeoutMs?: number
}

export type Progress = (line: string) => void

/**
 * Starts processes in order, waits for each to be healthy (bounded), and stops them in reverse
 * order by pid (process group), never by name. An unexpected exit is reported through onCrash.
 */
export class Supervisor {
  readonly #procs: ManagedProcess[] = []
  #stopping = false

  constructor(private readonly opts: { progress?: Progress; onCrash?: (p: ManagedProcess) => void } = {}) {}

  get processes(): readonly ManagedProcess[] {
    return this.#procs
  }

  /** Pids of every process started (running or not). */
  pids(): number[] {
    return this.#procs.map((p) => p.pid)
  }

  get(name: string): ManagedProcess | undefined {
    return this.#procs.find((p) => p.spec.name === name)
  }

  /** Spawns one service and resolves when it is healthy; on failure it is stopped and the error names it. */
  async start(spec: ServiceSpec): Promise<ManagedProcess> {
    if (this.#stopping) throw new DevnetError(`cannot start ${spec.name}: the supervisor is stopping`)
    if (this.get(spec.name)) throw new DevnetError(`a process named ${spec.name} was already started`)
    const t0 = Date.now()
    const p = new ManagedProcess(spec)
    this.#procs.push(p)
    void p.exited.then((e) => {
      if (!this.#stopping) {
        this.opts.progress?.(`! ${spec.name} (pid ${p.pid}) exited unexpectedly (${describeExit(e)})`)
        this.opts.onCrash?.(p)
      }
    })
    const died = new AbortController()
    void p.exited.then(() => died.abort())
    try {
      await waitFor(
        async () => {
          if (!p.running) throw new ProcessExitedError(`${spec.name} exited (${describeExit(p.exit!)})`, { details: p.tail() })
          return spec.health ? spec.health(p) : true
        },
        { what: `${spec.name} to become healthy`, timeoutMs: spec.healthTimeoutMs ?? 30_000, intervalMs: 150, signal: died.signal },
      )
    } catch (e) {
      const exitedByItself = !p.running
      await p.stop()
      if (exitedByItself) {
        throw new ProcessExitedError(`${spec.name} exited before it was healthy (${describeExit(p.exit!)})`, { details: p.tail(), cause: e })
      }
      throw new DevnetError(`${spec.name} did not become healthy`, { details: `${(e as Error).message}\n--- last output ---\n${p.tail()}`, cause: e })
    }
    this.opts.progress?.(`✓ ${spec.name} healthy (pid ${p.pid}, ${Date.now() - t0} ms)`)
    return p
  }

  /** Stops every process, last started first; resolves when all have exited. */
  async stopAll(): Promise<void> {
    this.#stopping = true
    for (const p of [...this.#procs].reverse()) {
      if (p.running) this.opts.progress?.(`  stopping ${p.spec.name} (pid ${p.pid})`)
      await p.stop()
    }
  }
}
