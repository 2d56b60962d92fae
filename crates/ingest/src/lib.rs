//! marsad-ingest: placeholder until its issue lands (see ARCHITECTURE.md).
