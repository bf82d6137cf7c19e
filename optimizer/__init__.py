"""enclave: the planning optimizer for reverse enclaves."""

__version__ = "0.1.0"
