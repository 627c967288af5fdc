import { generateKeyPair } from '@libp2p/crypto/keys'
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, describe, expect, it } from 'vitest'
import { createP2PNode, type P2PNode } from '../src/services/network/libp2p.js'
import { freePort } from './support/cluster.js'

/**
 * The gossipsub setup (empty mesh, flood publish): with every guardian connected to every other,
 * a message goes once to each peer and is not forwarded again; a node with no direct connection
 * to the publisher still receives it through gossip (IHAVE / IWANT) from a peer that has it.
 * Three real libp2p nodes on 127.0.0.1 in a line: a - b - c.
 */
describe('gossip without mesh forwarding', () => {
  const nodes: P2PNode[] = []
  afterAll(async () => {
    for (const n of nodes) await n.stop()
  })

  it('keeps an empty mesh (nothing re-forwarded) and still delivers to an indirect peer through IHAVE/IWANT', async () => {
    const keys = await Promise.all([0, 1, 2].map(() => generateKeyPair('Ed25519')))
    const ids = keys.map((k) => peerIdFromPrivateKey(k).toString())
    const ports = [await freePort(), await freePort(), await freePort()]
    const addr = (i: number) => `/ip4/127.0.0.1/tcp/${ports[i]}/p2p/${ids[i]}`
    const topic = 'net/observations'
    const received: Map<string, number>[] = [new Map(), new Map(), new Map()]
    for (const i of [0, 1, 2]) {
      const node = await createP2PNode({ privateKey: keys[i]!, listen: [`/ip4/127.0.0.1/tcp/${ports[i]}`], bootstrap: [], allowedPeers: new Set(ids), topics: [topic], appScore: () => 0 })
      nodes.push(node)
      await node.start()
      node.services.pubsub.topicValidators.set(topic, (_peer, msg: Message) => {
        const k = Buffer.from(msg.data).toString()
        received[i]!.set(k, (received[i]!.get(k) ?? 0) + 1)
        return TopicValidatorResult.Accept
      })
      node.services.pubsub.subscribe(topic)
    }
    await nodes[0]!.dial(multiaddr(addr(1)))
    await nodes[2]!.dial(multiaddr(addr(1)))
    const subscribed = async (i: number, n: number) => {
      const end = Date.now() + 10_000
      while (nodes[i]!.services.pubsub.getSubscribers(topic).length < n) {
        if (Date.now() > end) throw new Error('peers did not subscribe')
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    await subscribed(0, 1)
    await subscribed(1, 2)
    await subscribed(2, 1)
    expect(nodes[0]!.getPeers().map(String)).not.toContain(ids[2])
    await nodes[0]!.services.pubsub.publish(topic, new TextEncoder().encode('hello'))
    const end = Date.now() + 15_000
    while (!received[2]!.has('hello') && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    expect(received[1]!.get('hello')).toBe(1)
    expect(received[2]!.get('hello')).toBe(1) // through b's IHAVE at a heartbeat, then IWANT
    expect((nodes[1]!.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(topic)).toEqual([]) // nothing is forwarded along a mesh
  }, 40_000)
})
