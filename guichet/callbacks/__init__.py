"""Call-back requests: "Être rappelé par un agent", a task in the back office of the right service."""
