pub mod account_public_access_block;
pub mod bucket_public_read;
pub mod bucket_public_write;
pub mod exposure;
