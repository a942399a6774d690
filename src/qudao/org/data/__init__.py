"""Data shipped with the org app: China's administrative regions (see ATTRIBUTION.md)."""
