//! marsad-coder: placeholder until its issue lands (see ARCHITECTURE.md).
