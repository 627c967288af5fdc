import { describe, expect, it } from 'vitest'
import { DevnetError, ProcessExitedError, Supervisor, PortAllocator, httpOk } from '../src/index.js'
import { alive, descendants } from './support/pids.js'

const node = process.execPath
const server = (port: number) => `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('listening'))`
/** Spawns a grandchild (its pid on stdout) and keeps running. */
const parent = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000)`
const stubborn = `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000)`

describe('Supervisor', () => {
  it('waits for health, stops in reverse order, and leaves no process behind', async () => {
    const ports = new PortAllocator()
    const port = await ports.next()
    const lines: string[] = []
    const sup = new Supervisor({ progress: (l) => lines.push(l) })
    const web = await sup.start({ name: 'web', command: node, args: ['-e', server(port)], health: () => httpOk(`http://127.0.0.1:${port}/`), healthTimeoutMs: 10_000 })
    const fam = await sup.start({ name: 'family', command: node, args: ['-e', parent], health: async (p) => /grandchild \d+/.test(p.tail()) })
    const grandchild = Number(/grandchild (\d+)/.exec(fam.tail())![1])
    const stub = await sup.start({ name: 'stubborn', command: node, args: ['-e', stubborn], health: async (p) => p.tail().includes('up'), stopTimeoutMs: 500 })
    const all = [web.pid, fam.pid, grandchild, stub.pid, ...descendants(process.pid).filter((p) => sup.pids().includes(p))]
    expect(all.every(alive)).toBe(true)
    expect(await httpOk(`http://127.0.0.1:${port}/`)).toBe(true)

    const t0 = Date.now()
    await sup.stopAll()
    expect(Date.now() - t0).toBeLessThan(5000)
    for (const pid of all) expect(alive(pid), `pid ${pid} survived stop`).toBe(false)
    expect(stub.exit?.signal).toBe('SIGKILL')
    expect(web.exit?.signal ?? web.exit?.code).toBeDefined()
    const order = lines.filter((l) => l.startsWith('  stopping')).map((l) => l.split(' ')[3])
    expect(order).toEqual(['stubborn', 'family', 'web'])
    // nothing the supervisor started is a child of this process any more
    expect(descendants(process.pid).filter((p) => all.includes(p))).toEqual([])
  })

  it('names a process that exits before it is healthy, with its last output', async () => {
    const sup = new Supervisor()
    const err = await sup
      .start({ name: 'crasher', command: node, args: ['-e', "console.error('boom: bad config'); process.exit(3)"], health: async () => false })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProcessExitedError)
    expect((err as Error).message).toMatch(/crasher exited before it was healthy \(code 3\)/)
    expect((err as Error).message).toContain('boom: bad config')
    await sup.stopAll()
  })

  it('gives up on a process that never becomes healthy within its bound, and stops it', async () => {
    const sup = new Supervisor()
    const t0 = Date.now()
    const err = await sup.start({ name: 'sleeper', command: node, args: ['-e', 'setInterval(() => {}, 1000)'], health: async () => false, healthTimeoutMs: 600 }).catch((e: unknown) => e)
    expect(Date.now() - t0).toBeLessThan(4000)
    expect(err).toBeInstanceOf(DevnetError)
    expect((err as Error).message).toMatch(/sleeper did not become healthy.*\n.*timed out after 600 ms/)
    expect(alive(sup.get('sleeper')!.pid)).toBe(false)
    await sup.stopAll()
  })

  it('reports a crash of a running process', async () => {
    const crashed: string[] = []
    const sup = new Supervisor({ onCrash: (p) => crashed.push(p.spec.name) })
    const p = await sup.start({ name: 'short', command: node, args: ['-e', 'setTimeout(() => process.exit(7), 200)'] })
    await p.exited
    await new Promise((r) => setTimeout(r, 10))
    expect(crashed).toEqual(['short'])
    expect(p.exit?.code).toBe(7)
    await sup.stopAll()
  })
})
