//! Binding and serving: plain HTTP, or HTTPS with rustls (`--tls-cert`,
//! `--tls-key`), both with the peer's address for the login guard.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use rust_i18n::t;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// `--tls-cert` and `--tls-key`: PEM files, the certificate chain (leaf
/// first) and its private key.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// How long open requests and streams get to finish on shutdown.
const DRAIN: Duration = Duration::from_secs(10);

/// Binds `listen` and serves `app` on a task until `stop` fires.
pub async fn bind_and_serve(
    listen: &str,
    tls: Option<&TlsFiles>,
    head_deadline: Duration,
    app: Router,
    stop: oneshot::Receiver<()>,
) -> anyhow::Result<(SocketAddr, JoinHandle<std::io::Result<()>>)> {
    // Read the certificate before binding, so a bad file stops the start.
    let tls = tls.map(rustls_config).transpose()?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!(t!("ops.cannot_listen", addr = listen, error = e)))?;
    let addr = listener.local_addr()?;
    let task = match tls {
        // Event streams answered with small buffers (`plain_http.rs`).
        None => tokio::spawn(super::plain_http::serve(
            listener,
            app,
            stop,
            DRAIN,
            head_deadline,
        )),
        Some(config) => {
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            let handle = axum_server::Handle::new();
            let server = axum_server::tls_rustls::from_tcp_rustls(listener.into_std()?, config)?
                .handle(handle.clone());
            tokio::spawn(async move {
                tokio::spawn(async move {
                    let _ = stop.await;
                    handle.graceful_shutdown(Some(DRAIN));
                });
                server.serve(app).await
            })
        }
    };
    Ok((addr, task))
}

/// A rustls server configuration from PEM files, on the same crypto
/// provider as the client's (aws-lc-rs); HTTP/2 and HTTP/1.1 offered.
fn rustls_config(files: &TlsFiles) -> anyhow::Result<axum_server::tls_rustls::RustlsConfig> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| {
            anyhow::anyhow!(t!(
                "ops.tls_cert_unreadable",
                path = files.cert.display(),
                error = e
            ))
        })?;
    if certs.is_empty() {
        anyhow::bail!(t!("ops.tls_cert_empty", path = files.cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| {
        anyhow::anyhow!(t!(
            "ops.tls_key_unreadable",
            path = files.key.display(),
            error = e
        ))
    })?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| anyhow::anyhow!(t!("ops.tls_pair_refused", error = e)))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(
        config,
    )))
}

/// Whether clients beyond this machine can reach `addr` (anything but a
/// loopback address).
pub fn beyond_loopback(addr: SocketAddr) -> bool {
    !addr.ip().is_loopback()
}
