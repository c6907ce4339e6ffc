// Two providers in one VPN: one pings the other and fetches a page from its HTTP server by the VPN
// address, then the requestor downloads a 4 MiB file from that server through golem-js's TcpProxy.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { get } from "node:http";
import { check, checkEqual, order, runExample, sha256 } from "./lib/example.mjs";

const proxyPort = Number(process.env.EXAMPLE_PROXY_PORT ?? 18080);

function download(url) {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    }).on("error", reject);
  });
}

runExample("vpn", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const network = await glm.createNetwork({ ip: "192.168.7.0/24" });
    const base = order();
    const pool = await glm.manyOf({
      poolSize: 2,
      order: { ...base, demand: { workload: { ...base.demand.workload, capabilities: ["vpn"] } }, network },
    });
    const [client, server] = await Promise.all([pool.acquire(), pool.acquire()]);
    const clientExe = await client.getExeUnit();
    const serverExe = await server.getExeUnit();
    const serverIp = serverExe.getIp();
    check(clientExe.getIp() !== serverIp, "each provider has its own VPN address");

    const served = await serverExe.run(
      "mkdir -p /www && echo served-over-vpn > /www/index.html"
        + " && dd if=/dev/urandom of=/www/big bs=1M count=4 2>/dev/null && httpd -p 8080 -h /www && sha256sum /www/big",
    );
    checkEqual(served.result, "Ok", "starting httpd on the server provider");
    const bigSha = String(served.stdout).split(" ")[0];

    const ping = await clientExe.run(`ping -c 3 ${serverIp}`);
    checkEqual(ping.result, "Ok", `ping ${serverIp}: ${ping.stdout}${ping.stderr}`);
    check(String(ping.stdout).includes("3 packets received"), `every ping answered: ${ping.stdout}`);
    const page = await clientExe.run(`wget -q -O - http://${serverIp}:8080/index.html`);
    checkEqual(String(page.stdout).trim(), "served-over-vpn", "page fetched over the VPN");

    const proxy = serverExe.createTcpProxy(8080);
    await proxy.listen(proxyPort);
    try {
      const fetched = await download(`http://127.0.0.1:${proxyPort}/big`);
      checkEqual(fetched.status, 200, "status through the TCP proxy");
      checkEqual(fetched.body.length, 4 << 20, "size through the TCP proxy");
      checkEqual(sha256(fetched.body), bigSha, "sha256 through the TCP proxy");
    } finally {
      await proxy.close();
    }

    await pool.release(client);
    await pool.release(server);
    await pool.drainAndClear();
    await glm.destroyNetwork(network);
  } finally {
    await glm.disconnect();
  }
});
