"""The browser-upload page: the example project's `uploadFileToS3` (the integrations guide's, with the CSRF header
Django asks for), read from the one file the project's `/upload/` page includes.

`runUpload(size, type, tamper)` builds a file of `size` bytes (byte i is i % 251), uploads it with that
function and writes what happened into `#out`. `tamper` rewrites form fields the server granted before the browser
posts them to S3, as a user editing the page would (to send another content type than the one signed).
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

UPLOAD_SCRIPT = (
    Path(__file__).resolve().parents[3] / "examples/django_project/apps/public/templates/public/upload_file_to_s3.js"
)
"""The script, once: the project's page includes it as a Django template, this page as it is."""

PAGE_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8"><title>upload</title></head><body>
<input type="file" id="file-input"><pre id="out"></pre>
<script>
{script}
async function runUpload(size, type, tamper) {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = i % 251;
    const file = new File([bytes], 'holiday photo.png', {type: type});
    const realFetch = window.fetch;
    const s3Answers = [];
    window.fetch = async (url, options) => {
        const answer = await realFetch(url, options);
        if (String(url).includes('/api/uploads/credentials/')) {
            const body = await answer.json();
            window.lastUploadId = body.upload_id;
            Object.assign(body.form_fields || {}, tamper || {});
            return new Response(JSON.stringify(body), {status: answer.status});
        }
        if (!String(url).startsWith('/')) s3Answers.push(answer.status);
        return answer;
    };
    let out;
    try {
        out = Object.assign({ok: true}, await uploadFileToS3(file));
    } catch (error) {
        out = {ok: false, error: String(error.message || error), upload_id: window.lastUploadId};
    } finally {
        window.fetch = realFetch;
    }
    out.s3_status = s3Answers[0];
    document.getElementById('out').textContent = JSON.stringify(out);
    return out;
}
</script></body></html>
"""
PAGE = PAGE_TEMPLATE.replace("{script}", UPLOAD_SCRIPT.read_text(encoding="utf-8"))


def upload_page(request: HttpRequest) -> HttpResponse:
    """The page, with Django's CSRF cookie set."""
    get_token(request)
    return HttpResponse(PAGE)
