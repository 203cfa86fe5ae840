"""The admin's settings page: read and change the plugin's configuration."""
