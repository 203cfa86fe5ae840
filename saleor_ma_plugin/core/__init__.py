"""Host-independent building blocks: configuration, host integration, identifiers."""
