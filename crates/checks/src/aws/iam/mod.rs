pub mod root_mfa;
