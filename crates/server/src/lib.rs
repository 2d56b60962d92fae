//! # marsad-server — the JSON API and the Arabic-first dashboard
//!
//! An axum application over a [`Backend`] (the SQLite store, or [`MemoryBackend`] for fixtures).
//! The dashboard (plain HTML/CSS/JS written for marsad, no third-party code, no CDN) and the
//! OpenAPI description are compiled into the binary.
//!
//! Hardening: binds where it is told (the CLI defaults to 127.0.0.1); request bodies are capped
//! ([`MAX_BODY`]), so are URIs ([`MAX_URI`]); every error, unknown route and bad parameter is
//! JSON with a 4xx status; a panic in a handler becomes a JSON 500 instead of a dropped
//! connection; the only write (`POST /api/documents`) needs the token given at start-up; pages
//! are served with a strict Content-Security-Policy (scripts only from this origin, no inline).

pub mod api;
pub mod assets;
pub mod bench;
pub mod client;
pub mod memory;
mod overview;
pub mod store;

pub use api::*;
pub use memory::MemoryBackend;
pub use store::StoreBackend;

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest request body (`POST /api/documents`), bytes.
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// Largest request URI (path and query), bytes.
pub const MAX_URI: usize = 4096;
/// Largest search query, code points.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most documents in one `POST /api/documents`.
pub const MAX_POST_DOCS: usize = 1000;

/// What the server needs.
#[derive(Clone)]
pub struct AppState {
    pub backend: Arc<dyn Backend>,
    /// the token that allows `POST /api/documents`; `None`: ingestion over HTTP is off
    pub token: Option<Arc<str>>,
    /// backend calls running at once; the others wait in arrival order (a fair queue keeps
    /// the tail latency low under many clients)
    permits: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// `concurrency` backend calls at once (e.g. the number of read connections).
    pub fn new(backend: Arc<dyn Backend>, token: Option<Arc<str>>, concurrency: usize) -> Self {
        AppState {
            backend,
            token,
            permits: Arc::new(tokio::sync::Semaphore::new(concurrency.clamp(1, 256))),
        }
    }
}

/// A JSON error: `{"error": {"status": 404, "code": "not_found", "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": {"status": self.status.as_u16(), "code": self.code, "message": self.message}
        });
        (self.status, Json(body)).into_response()
    }
}

impl From<BackendError> for ApiError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::BadRequest(m) => ApiError::bad_request(m),
            BackendError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            BackendError::Internal(m) => {
                eprintln!("marsad-server: internal error: {m}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error (logged on the server)",
                )
            }
        }
    }
}

/// Query-string extractor whose rejection is a JSON 400.
pub struct Q<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Q(q.0))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// Run a backend call on the blocking pool.
async fn call<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&dyn Backend) -> Result<T, BackendError> + Send + 'static,
) -> Result<T, ApiError> {
    let b = st.backend.clone();
    let permit = st
        .permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::from(BackendError::Internal("server closing".into())))?;
    let r = tokio::task::spawn_blocking(move || {
        let r = f(&*b);
        drop(permit);
        r
    })
    .await;
    match r {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => Err(BackendError::Internal(format!("backend task failed: {e}")).into()),
    }
}

fn path_id(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if id.is_empty() || id.len() > 512 {
        return Err(ApiError::bad_request("bad id"));
    }
    Ok(id)
}

fn check_text_param(name: &str, v: &Option<String>, max: usize) -> Result<(), ApiError> {
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        return Err(ApiError::bad_request(format!(
            "{name} is longer than {max} characters"
        )));
    }
    Ok(())
}

/// The application.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/stats", get(stats))
        .route("/documents", get(documents).post(post_documents))
        .route("/documents/{id}", get(document))
        .route("/events", get(events))
        .route("/places", get(places))
        .route("/entities", get(entities))
        .route("/entities/{id}", get(entity))
        .route("/search", get(search))
        .route("/openapi.json", get(openapi))
        .route(
            "/health",
            get(|| async { Json(serde_json::json!({"ok": true})) }),
        );
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/assets/{name}", get(asset))
        .nest("/api", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(on_panic))
        .with_state(state)
}

fn on_panic(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error (logged on the server)",
    )
    .into_response()
}

/// Caps the URI, sets security headers on every response.
async fn guard(req: Request, next: Next) -> Response {
    let uri_len = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().len())
        .unwrap_or(0);
    let mut resp = if uri_len > MAX_URI {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request URI is longer than {MAX_URI} bytes"),
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    resp
}

async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}", uri.path()),
    )
}

async fn index() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        assets::INDEX_HTML,
    )
        .into_response()
}

async fn asset(p: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let name = path_id(p)?;
    let (ctype, body) =
        assets::get(&name).ok_or_else(|| ApiError::not_found(format!("no asset {name:?}")))?;
    Ok(([(header::CONTENT_TYPE, ctype)], body).into_response())
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        assets::OPENAPI_JSON,
    )
        .into_response()
}

async fn stats(State(st): State<AppState>) -> Result<Json<Stats>, ApiError> {
    call(&st, |b| b.stats()).await.map(Json)
}

async fn documents(
    State(st): State<AppState>,
    Q(q): Q<DocQuery>,
) -> Result<Json<Page<DocSummary>>, ApiError> {
    check_text_param("source", &q.source, 200)?;
    check_text_param("entity", &q.entity, 512)?;
    call(&st, move |b| b.documents(&q)).await.map(Json)
}

/// Parameters of `/api/documents/{id}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DocParams {
    q: Option<String>,
}

async fn document(
    State(st): State<AppState>,
    p: Result<Path<String>, PathRejection>,
    Q(params): Q<DocParams>,
) -> Result<Json<DocDetail>, ApiError> {
    let id = path_id(p)?;
    check_text_param("q", &params.q, MAX_QUERY_CHARS)?;
    let id2 = id.clone();
    call(&st, move |b| {
        let mut d = b.document(&id2)?;
        if let (Some(d), Some(q)) = (d.as_mut(), params.q.as_deref()) {
            d.matches = match_spans(&d.text, q);
        }
        Ok(d)
    })
    .await?
    .map(Json)
    .ok_or_else(|| ApiError::not_found(format!("no document {id:?}")))
}

/// Code-point spans of the words of `text` that match `query` or one of its variants
/// (`marsad_coder::expand_query`), compared by search-form stem as the search index does.
pub fn match_spans(text: &str, query: &str) -> Vec<[u32; 2]> {
    let mut an = marsad_text::Analyzer::new();
    let mut wanted = rustc_hash::FxHashSet::default();
    for v in marsad_coder::expand_query(query.trim()) {
        for (_, _, s) in memory::word_stems(&mut an, &v) {
            wanted.insert(s);
        }
    }
    if wanted.is_empty() {
        return Vec::new();
    }
    memory::word_stems(&mut an, text)
        .into_iter()
        .filter(|(_, _, s)| wanted.contains(s))
        .map(|(a, b, _)| [a, b])
        .collect()
}

async fn entities(
    State(st): State<AppState>,
    Q(q): Q<EntityQuery>,
) -> Result<Json<Page<EntitySummary>>, ApiError> {
    check_text_param("q", &q.q, MAX_QUERY_CHARS)?;
    call(&st, move |b| b.entities(&q)).await.map(Json)
}

async fn entity(
    State(st): State<AppState>,
    p: Result<Path<String>, PathRejection>,
) -> Result<Json<EntityDetail>, ApiError> {
    let id = path_id(p)?;
    let id2 = id.clone();
    call(&st, move |b| b.entity(&id2))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no entity {id:?}")))
}

async fn search(
    State(st): State<AppState>,
    Q(q): Q<SearchQuery>,
) -> Result<Json<SearchResult>, ApiError> {
    if q.q.trim().is_empty() {
        return Err(ApiError::bad_request("q is empty"));
    }
    check_text_param("q", &Some(q.q.clone()), MAX_QUERY_CHARS)?;
    check_text_param("source", &q.source, 200)?;
    call(&st, move |b| b.search(&q)).await.map(Json)
}

fn check_event_query(q: &EventQuery) -> Result<(), ApiError> {
    check_text_param("actor", &q.actor, 512)?;
    check_text_param("place", &q.place, 512)?;
    check_text_param("doc", &q.doc, 512)?;
    if let Some(c) = &q.code {
        if c.is_empty() || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ApiError::bad_request(
                "code must be a CAMEO event code or prefix, e.g. 04 or 173",
            ));
        }
    }
    if let Some(qc) = q.quad {
        if !(1..=4).contains(&qc) {
            return Err(ApiError::bad_request("quad must be 1, 2, 3 or 4"));
        }
    }
    Ok(())
}

async fn events(State(st): State<AppState>, Q(q): Q<EventQuery>) -> Result<Response, ApiError> {
    check_event_query(&q)?;
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv" | "jsonl") {
        return Err(ApiError::bad_request("format must be json, csv or jsonl"));
    }
    let page = call(&st, move |b| b.events(&q)).await?;
    Ok(match format.as_str() {
        "csv" => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            events_csv(&page.items),
        )
            .into_response(),
        "jsonl" => {
            let mut s = String::new();
            for e in &page.items {
                s.push_str(&serde_json::to_string(e).unwrap_or_default());
                s.push('\n');
            }
            ([(header::CONTENT_TYPE, "application/x-ndjson")], s).into_response()
        }
        _ => Json(page).into_response(),
    })
}

async fn places(
    State(st): State<AppState>,
    Q(q): Q<EventQuery>,
) -> Result<Json<Vec<PlacePoint>>, ApiError> {
    check_event_query(&q)?;
    call(&st, move |b| b.places(&q)).await.map(Json)
}

/// Compare secrets in time independent of where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= (a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0)) as usize;
    }
    diff == 0
}

async fn post_documents(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<(StatusCode, Json<IngestReport>), ApiError> {
    let Some(token) = st.token.clone() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "ingestion over HTTP is off: start the server with --token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_secret(given.as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid `Authorization: Bearer TOKEN` header is needed",
        ));
    }
    let Json(v) = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "bad_request"
        };
        ApiError::new(status, code, e.body_text())
    })?;
    let docs: Vec<NewDocument> = if v.is_array() {
        serde_json::from_value(v)
    } else {
        serde_json::from_value(v).map(|d| vec![d])
    }
    .map_err(|e| ApiError::bad_request(format!("bad document: {e}")))?;
    if docs.is_empty() || docs.len() > MAX_POST_DOCS {
        return Err(ApiError::bad_request(format!(
            "send 1 to {MAX_POST_DOCS} documents"
        )));
    }
    let report = call(&st, move |b| b.ingest(docs)).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Events as CSV, one header line.
pub fn events_csv(items: &[EventRow]) -> String {
    let mut out = String::from(
        "id,doc_id,date,code,quad_class,goldstein,plover,mood,source_id,source_name,source_actor,\
         target_id,target_name,target_actor,place_id,place_name,country,lat,lon,trigger,num_articles\n",
    );
    for e in items {
        let none = EntityRef::default();
        let (s, t) = (
            e.source.as_ref().unwrap_or(&none),
            e.target.as_ref().unwrap_or(&none),
        );
        let p = e.place.clone().unwrap_or_default();
        let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        let fields: Vec<String> = vec![
            e.id.clone(),
            e.doc_id.clone(),
            e.date.clone().unwrap_or_default(),
            e.code.clone(),
            e.quad_class.to_string(),
            e.goldstein.to_string(),
            e.plover.clone().unwrap_or_default(),
            e.mood.clone(),
            s.id.clone(),
            s.name.clone(),
            s.actor.clone().unwrap_or_default(),
            t.id.clone(),
            t.name.clone(),
            t.actor.clone().unwrap_or_default(),
            p.id.clone(),
            p.name.clone(),
            p.country.clone().unwrap_or_default(),
            opt(p.lat),
            opt(p.lon),
            e.trigger.text.clone(),
            e.num_articles.to_string(),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, f);
        }
        out.push('\n');
    }
    out
}

/// Serve on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service())
        .with_graceful_shutdown(shutdown)
        .await
}

/// A server on its own thread and runtime (tests, benchmarks). Stops when dropped.
pub struct RunningServer {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// `http://ADDR`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Start a server on `addr` (e.g. `127.0.0.1:0`) on a background thread.
pub fn spawn_server(state: AppState, addr: &str, workers: usize) -> std::io::Result<RunningServer> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .max_blocking_threads(64)
        .enable_all()
        .build()?;
    let listener = rt.block_on(tokio::net::TcpListener::bind(addr))?;
    let local = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("marsad-server".into())
        .spawn(move || {
            let r = rt.block_on(serve(listener, state, async {
                let _ = rx.await;
            }));
            if let Err(e) = r {
                eprintln!("marsad-server: {e}");
            }
        })?;
    Ok(RunningServer {
        addr: local,
        stop: Some(tx),
        thread: Some(thread),
    })
}

/// The demo corpus bundled with marsad (`data/demo/corpus.jsonl`, CC BY 4.0, written by the
/// marsad authors), compiled into the binary so the demo works from any directory.
pub const DEMO_CORPUS: &str = include_str!("../../../data/demo/corpus.jsonl");
