pub mod sg;
pub mod sg_admin_ports_unrestricted;
pub mod sg_high_risk_ports;
pub mod sg_specific_ports_unrestricted;
pub mod sg_unrestricted_access;
