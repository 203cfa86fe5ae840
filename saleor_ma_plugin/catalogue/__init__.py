"""Shop catalogue data the engine needs: stock for "notify me" requests, products."""
