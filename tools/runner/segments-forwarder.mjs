// Runs inside a segment's network namespace (tools/runner/segments-netns.ts): accepts k6's
// connections on the namespace's own loopback, at the address and port the local reference
// server has in the host namespace, and carries each one over the namespace's veth link to the
// runner's relay, which hands it to the server. So k6 addresses the same loopback URL as an
// unsegmented run while its traffic leaves from the namespace's own address.
//   node segments-forwarder.mjs <listen host> <listen port> <relay host> <relay port>
// Prints "listening" once it accepts connections; ends when its stdin closes (the runner went).
import { connect, createServer } from 'node:net';

const [listenHost, listenPort, relayHost, relayPort] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = connect(Number(relayPort), relayHost);
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});
server.on('error', (err) => {
  process.stderr.write(`segments-forwarder: ${err.message}\n`);
  process.exit(2);
});
server.listen(Number(listenPort), listenHost, () => process.stdout.write('listening\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
