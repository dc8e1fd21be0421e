import type net from 'node:net'

/**
 * The first line that arrives on `socket`, without its newline; the PGlite test host and its clients exchange
 * one before the connection carries the PostgreSQL protocol. The sender waits for the answer before it sends
 * anything else, so nothing after the line is lost. Rejects when the socket fails or closes first.
 */
export function firstLine(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const settle = () => {
      socket.off('data', onData)
      socket.off('close', onClose)
      socket.off('error', onError)
    }
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8')
      const end = text.indexOf('\n')
      if (end < 0) return
      settle()
      resolve(text.slice(0, end))
    }
    const onClose = () => { settle(); reject(new Error('the connection closed before a line arrived')) }
    const onError = (err: Error) => { settle(); reject(err) }
    socket.on('data', onData)
    socket.on('close', onClose)
    socket.on('error', onError)
  })
}
