"""Administrative reform (PAR index) evidence."""
