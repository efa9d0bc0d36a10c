"""sciplan-kg: knowledge graph of scientific-literacy implementation plans."""
