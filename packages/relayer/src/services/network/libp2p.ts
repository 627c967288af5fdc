import '../../polyfill.js'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { createPeerScoreParams, createTopicScoreParams } from '@libp2p/gossipsub/score'
import { identify } from '@libp2p/identify'
import type { PrivateKey, PeerId } from '@libp2p/interface'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { createHash } from 'node:crypto'

export type P2PInit = {
  privateKey: PrivateKey
  /** Multiaddrs to listen on, e.g. /ip4/127.0.0.1/tcp/0 */
  listen: string[]
  /** Multiaddrs (with /p2p/<id>) of guardian peers to dial. */
  bootstrap: string[]
  /**
   * PeerIds admitted by the connection gater (every other peer is refused both ways). Read on
   * every decision: the caller may change it (a guardian set upgrade does).
   */
  allowedPeers: ReadonlySet<string>
  /** Topic strings to score (invalid messages on them lower the sender's score). */
  topics: string[]
  /** App-specific score of a peer (negative for misbehaviour the node counted itself). */
  appScore: (peerId: string) => number
}

export type P2PNode = Libp2p<{ pubsub: GossipSub; identify: unknown; ping: unknown }>

/**
 * libp2p 3 over TCP with Noise and Yamux, gossipsub, identify, ping and a bootstrap list; a
 * connection gater that admits only the configured guardian peers. Gossipsub runs unsigned
 * (StrictNoSign): authenticity comes from the guardian-key signature inside every envelope, and
 * message ids are the SHA-256 of the data.
 */
export async function createP2PNode(init: P2PInit): Promise<P2PNode> {
  const allowed = init.allowedPeers
  const denied = (peer: PeerId): boolean => !allowed.has(peer.toString())
  const topics = Object.fromEntries(
    init.topics.map((t) => [
      t,
      createTopicScoreParams({
        topicWeight: 1,
        timeInMeshWeight: 0,
        firstMessageDeliveriesWeight: 0,
        meshMessageDeliveriesWeight: 0,
        meshFailurePenaltyWeight: 0,
        invalidMessageDeliveriesWeight: -100,
        invalidMessageDeliveriesDecay: 0.99,
      }),
    ]),
  )
  return createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: {
      denyDialPeer: denied,
      denyInboundEncryptedConnection: denied,
      denyOutboundEncryptedConnection: denied,
      denyDialMultiaddr: () => false,
    },
    peerDiscovery: init.bootstrap.length > 0 ? [bootstrap({ list: init.bootstrap, timeout: 100 })] : [],
    connectionManager: { maxConnections: 64 },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictNoSign',
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        msgIdFn: (msg) => createHash('sha256').update(msg.data).digest(),
        fallbackToFloodsub: false,
        // Guardians dial every guardian (bootstrap list + redial), so each node's own messages
        // reach every peer directly by flood-publishing. An empty mesh (D = 0) stops the mesh
        // forwarding that would send every envelope twice more over the full mesh (measured: 2/3
        // of the network work for no delivery gain); a peer that is not directly connected still
        // gets a message through gossip (IHAVE to Dlazy peers every heartbeat, then IWANT).
        floodPublish: true,
        D: 0,
        Dlo: 0,
        Dhi: 0,
        Dout: 0,
        Dscore: 0,
        scoreParams: createPeerScoreParams({ topics, appSpecificScore: init.appScore, appSpecificWeight: 1, IPColocationFactorWeight: 0 }),
        scoreThresholds: { gossipThreshold: -100, publishThreshold: -500, graylistThreshold: -1000 },
        maxInboundDataLength: 2 * 1024 * 1024,
      }),
    },
  }) as Promise<P2PNode>
}
