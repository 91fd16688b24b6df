//! Node bindings for the nuell content engine. This file only converts
//! between JavaScript and Rust; the work happens in the other modules.

mod autolink;
mod escape;
mod events;
mod nesting;
mod policy;
mod raw_budget;
pub mod render;
mod stats;
mod tree;
mod writer;

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{AsyncTask, Env, Error, Result, Task};
use napi_derive::napi;

/// mimalloc makes the renderer's many small allocations (events, tokens,
/// strings) cheaper than the system allocator, and scales across the
/// threads that render batches.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Version of the rendering rules. It changes whenever the output for the
/// same input can change (rule changes and upgrades of the Markdown or
/// sanitiser crates), so stored HTML rendered with another version can be
/// re-rendered.
#[napi]
pub const RENDERER_VERSION: u32 = render::RENDERER_VERSION;

/// A rendered post: what the API stores. (The plain text the statistics
/// come from is not returned: nothing stores it, and converting it to a
/// JavaScript string would cost as much as the HTML.)
#[napi(object)]
pub struct Rendered {
    /// Sanitised HTML, safe to insert into a page.
    pub html: String,
    /// At most 200 characters of the plain text on one line, cut at a word boundary
    /// and ending in "…" when cut.
    pub excerpt: String,
    pub word_count: u32,
    /// `ceil(wordCount / 200)`, at least 1.
    pub reading_time_minutes: u32,
}

impl From<render::Rendered> for Rendered {
    fn from(r: render::Rendered) -> Self {
        Self {
            html: r.html,
            excerpt: r.excerpt,
            word_count: saturating_u32(r.word_count),
            reading_time_minutes: saturating_u32(r.reading_time_minutes),
        }
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where the rendered posts are shown.
#[napi(object)]
pub struct RenderOptions {
    /// The site's address (`https://example.com`): images in a post may not
    /// load from its host (they would be requests in the reader's name)...
    pub site_url: String,
    /// ...except under this path, where the site serves public media
    /// (`/media/`; it must start and end with `/`).
    pub media_path: String,
}

fn site_of(options: Option<RenderOptions>) -> Result<Option<render::Site>> {
    options
        .map(|o| {
            render::Site::new(&o.site_url, &o.media_path).ok_or_else(|| {
                Error::from_reason(
                    "RenderOptions: siteUrl must be an http(s) URL with a host and mediaPath must start and end with /",
                )
            })
        })
        .transpose()
}

/// Renders Markdown to sanitised HTML plus excerpt, word count
/// and reading time, on the calling thread.
#[napi(catch_unwind)]
pub fn render_markdown(source: String, options: Option<RenderOptions>) -> Result<Rendered> {
    Ok(render::render_for(&source, site_of(options)?.as_ref()).into())
}

/// Renders a slice of a batch on a libuv worker thread. `renderMarkdownBatch`
/// in index.js splits batches into such chunks so that converting strings
/// on the main thread happens in small steps.
#[napi(ts_return_type = "Promise<Array<Rendered>>")]
pub fn render_markdown_chunk(
    sources: Vec<String>,
    options: Option<RenderOptions>,
) -> Result<AsyncTask<RenderChunk>> {
    Ok(AsyncTask::new(RenderChunk {
        sources,
        site: site_of(options)?,
    }))
}

pub struct RenderChunk {
    sources: Vec<String>,
    site: Option<render::Site>,
}

impl Task for RenderChunk {
    type Output = Vec<render::Rendered>;
    type JsValue = Vec<Rendered>;

    fn compute(&mut self) -> Result<Self::Output> {
        let sources = std::mem::take(&mut self.sources);
        let site = self.site.as_ref();
        // A panic must reject the promise, not unwind into libuv.
        catch_unwind(AssertUnwindSafe(|| {
            sources
                .iter()
                .map(|s| render::render_for(s, site))
                .collect()
        }))
        .map_err(|_| Error::from_reason("renderMarkdownBatch: renderer panicked"))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output.into_iter().map(Rendered::from).collect())
    }
}
