//! Assembling and serving the application: the context, the router with its shared middleware,
//! and `serve(listener, ctx, shutdown)`, which `main` and the tests both use.

use crate::api::error::ApiError;
use crate::clock::Clock;
use crate::config::Config;
use crate::connector::Connectors;
use crate::connector::sandbox::{Delays, Sandbox};
use crate::service::{Ctx, auth::KeyCache, secrets};
use crate::store::{Db, DbOptions};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Opens the database (migrating it) and builds the shared context.
pub async fn build(config: Config, clock: Clock) -> Result<Ctx, String> {
    let metrics = Arc::new(crate::metrics::Metrics::new());
    let opts = DbOptions {
        url: config.database_url.clone(),
        sqlite_read_connections: config.sqlite.read_connections,
        sqlite_cache_kib: config.sqlite.cache_kib,
        sqlite_max_batch: config.sqlite.max_batch,
        postgres_pool_size: config.postgres.pool_size,
        stats: metrics.store.clone(),
    };
    let db = Db::open(opts).await.map_err(|e| format!("cannot open the database: {e}"))?;
    let auth = Arc::new(KeyCache::new(Duration::from_secs(config.auth.cache_secs)));
    let db = Arc::new(db);
    let page_key = Arc::new(instance_key(&db, "page_key").await?);
    let signing_key = Arc::new(instance_key(&db, "signing_key").await?);
    let egress = Arc::new(crate::egress::Egress::new(&config.egress));
    let delays = Delays {
        card_secs: config.payments.sandbox_card_delay_secs,
        mobile_money_secs: config.payments.sandbox_mobile_money_delay_secs,
    };
    let connectors = Connectors::default().with(Arc::new(Sandbox::new(db.clone(), clock.clone(), delays)));
    let config = Arc::new(config);
    let ctx = Ctx {
        db,
        clock,
        config,
        auth,
        stores: Default::default(),
        connectors,
        page_key,
        signing_key,
        egress,
        dialect_keys: Default::default(),
        rate_leases: Default::default(),
        dialects: Arc::new(crate::dialects::all()),
        metrics,
    };
    crate::worker::sync_clock(&ctx).await;
    Ok(ctx)
}

/// A 32-byte secret shared by every instance, created by the first one to start.
async fn instance_key(db: &Db, name: &'static str) -> Result<[u8; 32], String> {
    let fresh: String = secrets::random_bytes::<32>().iter().map(|b| format!("{b:02x}")).collect();
    let hex = db
        .write(move |c| crate::store::instance::secret(c, name, &fresh))
        .await
        .map_err(|e| format!("cannot read the instance secret {name}: {e}"))?;
    let bytes: Vec<u8> =
        (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect();
    bytes.try_into().map_err(|_| format!("the instance secret {name} is malformed"))
}

/// The whole HTTP surface.
pub fn router(ctx: Ctx) -> Router {
    let mut router = Router::new()
        .merge(crate::api::router(&ctx, crate::dialects::native_routes()))
        .merge(crate::dialects::router(&ctx))
        .merge(crate::web::router(&ctx))
        .route("/openapi.json", get(openapi_json));
    // Metrics reveal business volumes: on the public listener only behind their own token.
    if !ctx.config.metrics.token.0.is_empty() {
        router = router.route("/metrics", get(crate::metrics::scrape::guarded_metrics));
    }
    router
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(ctx.config.limits.max_body_bytes))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(request_id))
        // Outermost, and a `Router::layer` (inside routing), so it sees the matched template and
        // every response, a panic's 500 included.
        .layer(axum::middleware::from_fn_with_state(ctx.metrics.clone(), crate::metrics::http::track))
        .with_state(ctx)
}

/// The OpenAPI document of the native API, with the routes the dialects add to it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    crate::api::openapi(crate::dialects::native_routes())
}

/// [`openapi`], rendered once.
async fn openapi_json() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let doc = DOC.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(axum::http::header::CONTENT_TYPE, "application/json")], doc.as_str())
}

async fn route_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "ROUTE_NOT_FOUND", "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "this route does not accept this method")
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("handler panicked").into_response()
}

/// Gives every request an id (`x-request-id`), visible to error responses and logs.
async fn request_id(req: Request, next: Next) -> Response {
    let id = crate::request_id::generate();
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let mut response = crate::request_id::scope(id.clone(), next.run(req)).await;
    tracing::debug!(request_id = %id, %method, %path, status = response.status().as_u16(), "request");
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Serves until `shutdown` resolves, then drains in-flight requests (up to 10 s).
pub async fn serve(
    listener: TcpListener,
    ctx: Ctx,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers = crate::worker::spawn(ctx.clone(), stop_rx);
    let app = router(ctx);
    let (drained_tx, drained_rx) = tokio::sync::oneshot::channel::<()>();
    let graceful = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        let _ = drained_tx.send(());
    };
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(graceful);
    let server = tokio::spawn(async move { server.await });
    let _ = drained_rx.await;
    let result = match tokio::time::timeout(Duration::from_secs(10), server).await {
        Ok(joined) => joined.unwrap_or(Ok(())),
        Err(_) => {
            tracing::warn!("requests still running after 10 s; stopping anyway");
            Ok(())
        }
    };
    // The delivery loop records the sends in flight before it ends.
    if tokio::time::timeout(Duration::from_secs(20), workers).await.is_err() {
        tracing::warn!("background work still running after 20 s; stopping anyway");
    }
    result
}
