//! Who may read which statistics, the periods endpoint, bad queries.
