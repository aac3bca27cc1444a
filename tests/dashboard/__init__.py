"""Dashboard pages run in-process on the samples' warehouse."""
