//! marsad-server: placeholder until its issue lands (see ARCHITECTURE.md).
