//! Many accounts: an organisation's accounts (or a given list), each scanned through a
//! member role, with bounded concurrency; one account's failure never stops the others.
