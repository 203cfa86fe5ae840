// Reading the claims of the Dashboard's JWT: only to know when it expires (the API verifies it).

export function tokenClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** True when the token's ``exp`` lies within ``marginSeconds`` of now or before it. */
export function isExpired(token: string | undefined, now = Date.now(), marginSeconds = 5): boolean {
  if (!token) return true;
  const exp = tokenClaims(token).exp;
  return typeof exp === "number" && exp * 1000 <= now + marginSeconds * 1000;
}
