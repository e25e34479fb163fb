"""Input side: sniffing, decoding and reading documents."""
