import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { AuthenticationError, NetworkError } from "../api/errors";
import de from "../i18n/de.json";
import { renderApp } from "../test/render";
import { ErrorState, NoPermission, NotFound } from "./states";

describe("what a page shows instead of its content", () => {
  it("offers a retry when the server cannot be reached", () => {
    const retry = vi.fn();
    renderApp(<ErrorState error={new NetworkError("Failed to fetch")} onRetry={retry} />);

    fireEvent.click(screen.getByRole("button", { name: "Try again" }));

    expect(screen.getByRole("alert").textContent).toContain("Cannot reach the server");
    expect(retry).toHaveBeenCalledOnce();
  });

  it("says the session expired, with a retry", () => {
    renderApp(<ErrorState error={new AuthenticationError("expired")} onRetry={() => {}} />);

    expect(screen.getByRole("heading", { name: "Your session has expired" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("tells a Saleor staff user which permission is missing", () => {
    renderApp(<NoPermission mode="saleor" email="clerk@example.com" logoutUrl="" />);

    expect(screen.getByRole("alert").textContent).toContain("MANAGE_USERS");
    expect(screen.getByRole("alert").textContent).toContain("clerk@example.com");
  });

  it("speaks the admin's language", () => {
    renderApp(<NotFound />, { locale: "de", messages: de });

    expect(screen.getByRole("heading", { name: "Seite nicht gefunden" })).toBeTruthy();
  });
});
