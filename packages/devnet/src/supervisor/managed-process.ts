import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { ProcessExitedError } from '../errors.js'
import { sleep } from '../util/wait.js'

export type ProcessSpec = {
  /** Unique, shown in progress and errors: "anvil-a", "relayer-2". */
  name: string
  command: string
  args: readonly string[]
  cwd?: string
  /** Added to a minimal inherited environment (PATH, HOME). */
  env?: Record<string, string>
  /** stdout and stderr are appended here. */
  logFile?: string
  /** Milliseconds between SIGTERM and SIGKILL on stop. @default 5000 */
  stopTimeoutMs?: number
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null }

const TAIL_LINES = 40

/**
 * One child process in its own process group (so a stop reaches whatever it spawned), with its
 * output kept in a log file and a short in-memory tail for error messages.
 */
export class ManagedProcess {
  readonly child: ChildProcess
  readonly pid: number
  readonly exited: Promise<Exit>
  #exit: Exit | undefined
  readonly #tail: string[] = []
  readonly #log: WriteStream | undefined
  readonly #lineListeners = new Set<(line: string) => void>()

  constructor(readonly spec: ProcessSpec) {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...spec.env }
    this.#log = spec.logFile ? createWriteStream(spec.logFile, { flags: 'a' }) : undefined
    this.child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    if (this.child.pid === undefined) throw new ProcessExitedError(`${spec.name}: could not spawn ${spec.command}`)
    this.pid = this.child.pid
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal }
        resolve(this.#exit)
      })
      this.child.once('error', (e) => {
        this.#push(`spawn error: ${e.message}`)
      })
    })
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let partial = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        this.#log?.write(chunk)
        const lines = (partial + chunk).split('\n')
        partial = lines.pop() ?? ''
        for (const l of lines) this.#push(l)
      })
    }
  }

  #push(line: string): void {
    this.#tail.push(line)
    if (this.#tail.length > TAIL_LINES) this.#tail.shift()
    for (const f of this.#lineListeners) f(line)
  }

  get exit(): Exit | undefined {
    return this.#exit
  }

  get running(): boolean {
    return this.#exit === undefined
  }

  /** The last lines it printed (stdout and stderr interleaved). */
  tail(n = 15): string {
    return this.#tail.slice(-n).join('\n')
  }

  /** Resolves with the first output line matching `re` (or rejects when the process exits first). */
  waitForLine(re: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const hit = this.#tail.find((l) => re.test(l))
      if (hit !== undefined) return resolve(hit)
      const f = (line: string) => {
        if (!re.test(line)) return
        this.#lineListeners.delete(f)
        resolve(line)
      }
      this.#lineListeners.add(f)
      void this.exited.then((e) => {
        if (!this.#lineListeners.delete(f)) return
        reject(new ProcessExitedError(`${this.spec.name} exited (${describeExit(e)}) before printing ${re}`, { details: this.tail() }))
      })
    })
  }

  /** SIGTERM to the process group, SIGKILL to the group after the timeout; resolves once it exited. */
  async stop(): Promise<Exit> {
    if (this.#exit === undefined) {
      signalGroup(this.pid, 'SIGTERM')
      const killed = await Promise.race([this.exited.then(() => false), sleep(this.spec.stopTimeoutMs ?? 5000).then(() => true)])
      if (killed) signalGroup(this.pid, 'SIGKILL')
    }
    const e = await this.exited
    // Whatever it spawned and left behind in its group goes too.
    signalGroup(this.pid, 'SIGKILL')
    await new Promise<void>((r) => (this.#log ? this.#log.end(r) : r()))
    return e
  }
}

/** Signals a whole process group; a group that no longer exists is fine. */
function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e
  }
}

export function describeExit(e: Exit): string {
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`
}
