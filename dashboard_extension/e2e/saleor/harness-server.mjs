// Serves harness.html on 127.0.0.1:<port> (another origin than Saleor, as the Dashboard is).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const port = Number(process.argv[2] ?? 18201);
const page = await readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), "harness.html"));
createServer((request, response) => {
  if (!request.url.startsWith("/harness")) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page);
}).listen(port, "127.0.0.1");
