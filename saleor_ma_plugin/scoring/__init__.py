"""Lead scoring: points for behaviour, with caps and decay; thresholds move lifecycle stages."""
