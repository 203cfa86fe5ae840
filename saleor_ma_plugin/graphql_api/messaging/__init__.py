"""Templates (versioned, previewed, test-sent) and newsletter topics, for the dashboard."""
