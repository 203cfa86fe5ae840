"""Attribution reports and A/B experiments: queries and the forced-winner mutation."""
