//! The demo's subscription ids and the shape of a subnet's id: what the demo's state and its week
//! of history both name.

pub const CONTOSO_SUB: &str = "1f0e2d3c-4b5a-4697-8877-665544332211";
pub const FABRIKAM_SUB: &str = "2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b";

pub fn subnet_id(sub: &str, rg: &str, vnet: &str, subnet: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}")
}
