"""What the Dashboard app asks beyond the other areas: its viewer and the widgets' figures."""
