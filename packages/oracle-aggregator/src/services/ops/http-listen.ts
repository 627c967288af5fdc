import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Starts `server` on host:port (0 = any free port) and returns its base URL. */
export async function listenHttp(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return `http://${host}:${(server.address() as AddressInfo).port}`
}

/** Closes `server`, dropping keep-alive connections so the close cannot hang. */
export async function closeHttp(server: Server | undefined): Promise<void> {
  if (!server) return
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}
