//! The Paymob QuickLink dialect (`/paymob`, seed 004) on both databases.
