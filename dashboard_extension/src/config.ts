// How the app runs, as the server that served index.html says (a JSON block it injects).

export type AppMode = "saleor" | "standalone";

export interface RuntimeConfig {
  mode: AppMode;
  /** Path the app is served under, with a trailing slash. */
  basePath: string;
  apiUrl: string;
  loginUrl: string;
  logoutUrl: string;
}

/** The configuration of the page; a dev server without the block runs standalone. */
export function readConfig(doc: Document = document): RuntimeConfig {
  const block = doc.getElementById("ma-config");
  if (block?.textContent) {
    return JSON.parse(block.textContent) as RuntimeConfig;
  }
  return {
    mode: "standalone",
    basePath: "/dashboard/",
    apiUrl: "/graphql/",
    loginUrl: "/dashboard/login/",
    logoutUrl: "/dashboard/logout/",
  };
}
