"""Provincial oversight: rollout plans, QMS stages, dashboards."""
