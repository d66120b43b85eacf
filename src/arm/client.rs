//! The request pipeline: every ARM call goes through `ArmClient::send`, which adds the bearer
//! token, sends only to the configured ARM origin, turns error bodies into `ArmError`, and retries
//! what `retry::RetryPolicy` allows, honouring `Retry-After`.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use web_sys::RequestRedirect;
use serde::de::DeserializeOwned;

use super::concurrency::{subscription_of, Answer, Gate, Wait};
use super::error::{parse_retry_after, ArmError};
use super::pager::{is_on_endpoint, Page, MAX_PAGES};
use super::retry::RetryPolicy;

/// Gets a current access token for ARM (silently renewed by the session). `true` asks for a new
/// one even if the cached token looks valid (ARM just refused it).
pub type TokenFn = Rc<dyn Fn(bool) -> Pin<Box<dyn Future<Output = Result<String, ArmError>>>>>;

/// What the pipeline learnt about reaching ARM, for a connection banner: the pipeline itself
/// knows nothing of views.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NetEvent {
    /// ARM answered (any status): it is reachable.
    Answered,
    /// No answer at all (offline, DNS, refused connection).
    Unreachable,
    /// ARM throttled the call; the pipeline waits `ms` as asked before trying again.
    Throttled { ms: u32 },
}

pub type Observer = Rc<dyn Fn(NetEvent)>;

#[derive(Clone)]
pub struct ArmClient {
    endpoint: Rc<str>,
    token: TokenFn,
    policy: RetryPolicy,
    /// The server's clock from the last `Date` header ARM let us read, with our clock then: run
    /// ages are measured against the service's time, not a skewed browser's.
    server_clock: Rc<std::cell::Cell<Option<(f64, f64)>>>,
    observer: Option<Observer>,
    /// Set on a fan-out's client: its GETs wait their turn at the gate (`fanned_out`).
    fanout: Option<Rc<Fanout>>,
}

/// A fan-out's pacing (issue 22): the gate of per-subscription windows, and the reads waiting on
/// it. Views fan out freely; how many reads are really in flight is decided here, from what ARM
/// answers (`concurrency::Window`).
#[derive(Default)]
pub struct Fanout {
    gate: std::cell::RefCell<Gate>,
    waiting: std::cell::RefCell<Vec<futures::channel::oneshot::Sender<()>>>,
}

/// One read let through the gate; it gives its place back when dropped (answered or abandoned).
struct Ticket {
    fanout: Rc<Fanout>,
    subscription: String,
    started_ms: f64,
    answer: Option<Answer>,
}

impl Fanout {
    /// Waits until a read for `subscription` may start: a free place in its window and in the
    /// total, and no 429 being waited out.
    async fn enter(self: &Rc<Self>, subscription: String) -> Ticket {
        loop {
            let now = js_sys::Date::now();
            let tried = self.gate.borrow_mut().try_start(&subscription, now);
            match tried {
                Ok(()) => return Ticket { fanout: self.clone(), subscription, started_ms: now, answer: None },
                Err(Wait::For(ms)) => gloo_timers::future::TimeoutFuture::new(ms.ceil() as u32).await,
                Err(Wait::Slot) => {
                    let (tx, rx) = futures::channel::oneshot::channel();
                    self.waiting.borrow_mut().push(tx);
                    let _ = rx.await;
                }
            }
        }
    }

    /// Whether a read for `subscription` (lower-cased) would start now, with `in_flight` of the
    /// caller's reads out for it and `total` in all: callers that choose what to read next ask
    /// before they start one, instead of parking it here.
    pub fn room(&self, subscription: &str, in_flight: u32, total: u32) -> Result<(), Wait> {
        self.gate.borrow().room_with(subscription, in_flight, total, js_sys::Date::now())
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.fanout.gate.borrow_mut().finish(&self.subscription, self.answer.take(), js_sys::Date::now());
        // Every waiter looks again (a few dozen at most: the callers bound what they start).
        let waiting = std::mem::take(&mut *self.fanout.waiting.borrow_mut());
        for tx in waiting {
            let _ = tx.send(());
        }
    }
}


/// A successful response, read to the end.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub request_id: Option<String>,
    /// `Azure-AsyncOperation`, when ARM sent it and CORS lets us read it.
    pub async_operation: Option<String>,
    /// `Location`: how a delete is followed (Azure sends no `Azure-AsyncOperation` for one).
    pub location: Option<String>,
    pub retry_after: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-reads`: what is left of ARM's read bucket.
    pub remaining_reads: Option<u32>,
    /// `x-ms-correlation-request-id`: what the Activity Log files the request's events under.
    pub correlation_id: Option<String>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ArmError> {
        serde_json::from_str(&self.body)
            .map_err(|e| ArmError::unexpected(self.status, &e.to_string(), self.request_id.clone()))
    }
}

impl ArmClient {
    /// `endpoint` ends with `/`, e.g. `https://management.azure.com/`.
    pub fn new(endpoint: &str, token: TokenFn) -> Self {
        ArmClient { endpoint: endpoint.into(), token, policy: RetryPolicy::default(), server_clock: Rc::default(), observer: None, fanout: None }
    }

    /// The ARM endpoint this client sends to (`https://management.azure.com/`): which cloud.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Tells `observer` whether ARM answers, on every attempt (retries included).
    pub fn with_observer(self, observer: Observer) -> Self {
        ArmClient { observer: Some(observer), ..self }
    }

    fn tell(&self, event: NetEvent) {
        if let Some(o) = &self.observer {
            o(event);
        }
    }

    /// The same client without retries, for live views that pace themselves: a retry loop would
    /// keep sending after the tab is hidden or the page gone.
    pub fn without_retries(&self) -> Self {
        ArmClient { policy: RetryPolicy { max_retries: 0, ..self.policy }, ..self.clone() }
    }

    /// A client for one fan-out (the fleet's reads of hundreds of registries): its GETs are paced
    /// by one shared gate, a window per subscription that grows while ARM answers fast with reads
    /// to spare and halves on a 429, and a cap on their sum. Writes are never held.
    pub fn fanned_out(&self) -> Self {
        ArmClient { fanout: Some(Rc::default()), ..self.clone() }
    }

    /// The fan-out's gate, on a `fanned_out` client.
    pub fn fanout(&self) -> Option<&Rc<Fanout>> {
        self.fanout.as_ref()
    }

    /// The service's time now, if ARM exposed its `Date` header (CORS may not).
    pub fn server_now_ms(&self) -> Option<f64> {
        self.server_clock.get().map(|(server, local)| server + (js_sys::Date::now() - local))
    }

    /// An absolute URL for a path from a resource id (`/subscriptions/…?api-version=…`).
    fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.endpoint, path_and_query.trim_start_matches('/'))
    }

    pub async fn get<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<T, ArmError> {
        self.send(Method::GET, &self.url(path_and_query), None, true).await?.json()
    }

    /// A write with a JSON body. PUT, and PATCH of absolute values (a count, tags), are safe to
    /// repeat after an unknown outcome; say so with `idempotent`.
    pub async fn write<B: serde::Serialize>(&self, method: Method, path_and_query: &str, body: &B, idempotent: bool) -> Result<Reply, ArmError> {
        let json = serde_json::to_string(body).map_err(|e| ArmError::unexpected(0, &e.to_string(), None))?;
        self.send(method, &self.url(path_and_query), Some(json), idempotent).await
    }

    /// A request without a body (DELETE, POST actions).
    pub async fn call(&self, method: Method, path_and_query: &str, idempotent: bool) -> Result<Reply, ArmError> {
        self.send(method, &self.url(path_and_query), None, idempotent).await
    }

    /// GET of an absolute URL ARM gave us (an operation status), refused off the ARM origin.
    pub async fn get_url<T: DeserializeOwned>(&self, url: &str) -> Result<T, ArmError> {
        self.send(Method::GET, url, None, true).await?.json()
    }

    /// Every item of a pageable list, following `nextLink` on the ARM origin only.
    pub async fn list_all<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<Vec<T>, ArmError> {
        let mut items = Vec::new();
        self.list_pages(path_and_query, |page: Vec<T>| {
            items.extend(page);
            true
        })
        .await?;
        Ok(items)
    }

    /// Follows a list's `nextLink`s, handing each page over as it arrives (a long history can be
    /// shown while the rest is read); `on_page` answers whether to go on (a reader that left
    /// stops the reading). Returns the number of pages read.
    pub async fn list_pages<T: DeserializeOwned>(&self, path_and_query: &str, mut on_page: impl FnMut(Vec<T>) -> bool) -> Result<usize, ArmError> {
        let mut next = Some(self.url(path_and_query));
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(ArmError::unexpected(200, "the list did not end after 500 pages", None));
            }
            let page: Page<T> = self.send(Method::GET, &url, None, true).await?.json()?;
            next = page.next_link.filter(|l| !l.is_empty());
            if let Some(link) = &next {
                if !is_on_endpoint(&self.endpoint, link) {
                    return Err(ArmError::unexpected(200, "a nextLink pointed away from the ARM endpoint", None));
                }
            }
            if !on_page(page.value) {
                break;
            }
        }
        Ok(pages)
    }

    /// Sends one request, retrying as the policy allows. `idempotent` says whether repeating it
    /// after an unknown outcome (5xx, network error) is safe.
    pub async fn send(&self, method: Method, url: &str, body: Option<String>, idempotent: bool) -> Result<Reply, ArmError> {
        if !is_on_endpoint(&self.endpoint, url) {
            return Err(ArmError::unexpected(0, "refused to send the token outside the ARM endpoint", None));
        }
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            // A fan-out's read takes its place at the gate first (the token after: one that
            // waited out a 429 is not sent with a token read before the wait), and keeps it
            // through a renewal's second try.
            let ticket = match &self.fanout {
                Some(f) if matches!(method, Method::GET) => Some(f.enter(subscription_of(url)).await),
                _ => None,
            };
            let token = (self.token)(false).await?;
            let mut result = once(method.clone(), url, body.as_deref(), &token, &self.server_clock).await;
            // A token ARM calls expired or invalid (clock skew, revocation): renew it once.
            if matches!(&result, Err(e) if e.status == 401 && RetryPolicy::is_stale_token(&e.code)) && !renewed {
                renewed = true;
                let fresh = (self.token)(true).await?;
                result = once(method.clone(), url, body.as_deref(), &fresh, &self.server_clock).await;
            }
            if let Some(mut ticket) = ticket {
                ticket.answer = Some(match &result {
                    Err(e) if e.status == 429 => Answer::Throttled { retry_after_s: e.retry_after },
                    Ok(r) => Answer::Done { elapsed_ms: js_sys::Date::now() - ticket.started_ms, remaining_reads: r.remaining_reads },
                    Err(_) => Answer::Done { elapsed_ms: js_sys::Date::now() - ticket.started_ms, remaining_reads: None },
                });
            }
            let error = match result {
                Ok(reply) => {
                    self.tell(NetEvent::Answered);
                    return Ok(reply);
                }
                Err(e) => e,
            };
            self.tell(if error.is_network() { NetEvent::Unreachable } else { NetEvent::Answered });
            let jitter = js_sys::Math::random();
            match self.policy.delay_ms(attempt, error.status, error.retry_after, idempotent, jitter) {
                Some(ms) => {
                    if error.status == 429 {
                        self.tell(NetEvent::Throttled { ms });
                    }
                    gloo_timers::future::TimeoutFuture::new(ms).await
                }
                None => return Err(error),
            }
            attempt += 1;
        }
    }
}

async fn once(method: Method, url: &str, body: Option<&str>, token: &str, server_clock: &std::cell::Cell<Option<(f64, f64)>>) -> Result<Reply, ArmError> {
    let builder = RequestBuilder::new(url)
        .method(method)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", "application/json")
        // ARM never redirects; a redirect must not carry the token anywhere.
        .redirect(RequestRedirect::Error);
    let request = match body {
        Some(b) => builder.header("Content-Type", "application/json").body(b),
        None => builder.build(),
    }
    .map_err(|e| ArmError::network(&e.to_string()))?;
    let response = request.send().await.map_err(|e| ArmError::network(&e.to_string()))?;
    let status = response.status();
    let headers = response.headers();
    let request_id = headers.get("x-ms-request-id");
    let retry_after = parse_retry_after(headers.get("retry-after").as_deref());
    let async_operation = headers.get("azure-asyncoperation");
    let location = headers.get("location");
    let correlation_id = headers.get("x-ms-correlation-request-id");
    let remaining_reads = headers.get("x-ms-ratelimit-remaining-subscription-reads").and_then(|v| v.trim().parse().ok());
    if let Some(date) = headers.get("date") {
        let server = js_sys::Date::parse(&date);
        if server.is_finite() {
            server_clock.set(Some((server, js_sys::Date::now())));
        }
    }
    let text = response.text().await.unwrap_or_default();
    if status < 400 {
        Ok(Reply { status, body: text, request_id, async_operation, location, retry_after, remaining_reads, correlation_id })
    } else {
        Err(ArmError::from_response(status, &text, request_id, retry_after))
    }
}
