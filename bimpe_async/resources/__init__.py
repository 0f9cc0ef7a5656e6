"""Resources: thin groups of endpoint specs, one module per API area."""
