// GraphiQL for the plugin's API, bundled with the app so it works without a CDN (offline too).
// The server serves this page at the API's own URL (GET, development hosts only) and tells it
// where to POST; requests carry the host's session cookie, so GraphiQL runs as the signed-in user.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

const configured = document.getElementById("ma-config")?.textContent;
const apiUrl: string = configured ? JSON.parse(configured).apiUrl : window.location.pathname;

const fetcher = createGraphiQLFetcher({
  url: apiUrl,
  fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
});

createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} />
  </StrictMode>,
);
