"""Seeing the gateway run, one piece a module:

- `metrics`     the Prometheus metrics, and what the reconciler reports into them
- `middleware`  request ids, one JSON access-log line per request, request metrics
- `carrier`     the carrier wrapped so every call is counted and timed
- `health`      /healthz, /readyz and /metrics
"""
