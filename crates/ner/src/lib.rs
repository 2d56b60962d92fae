//! marsad-ner: placeholder until its issue lands (see ARCHITECTURE.md).
