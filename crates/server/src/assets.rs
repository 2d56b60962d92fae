//! The dashboard's files, compiled into the binary (no CDN, no network at run time). All of
//! them were written for marsad: plain HTML, CSS and JavaScript, no third-party code.

pub const INDEX_HTML: &str = include_str!("../assets/index.html");
pub const APP_JS: &str = include_str!("../assets/app.js");
pub const APP_CSS: &str = include_str!("../assets/app.css");
pub const MAP_JS: &str = include_str!("../assets/map.js");
pub const OPENAPI_JSON: &str = include_str!("../assets/openapi.json");

/// Content type and body of an asset under `/assets/`.
pub fn get(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "app.js" => ("text/javascript; charset=utf-8", APP_JS),
        "map.js" => ("text/javascript; charset=utf-8", MAP_JS),
        "app.css" => ("text/css; charset=utf-8", APP_CSS),
        "openapi.json" => ("application/json", OPENAPI_JSON),
        _ => return None,
    })
}
