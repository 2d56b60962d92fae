//! marsad-store: placeholder until its issue lands (see ARCHITECTURE.md).
