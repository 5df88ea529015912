"""The browser-upload page: seed 002's `uploadFileToS3` as written, plus the CSRF header Django asks for.

`runUpload(size, type, tamper)` builds a file of `size` bytes (byte i is i % 251), uploads it with the seed's
function and writes what happened into `#out`. `tamper` rewrites form fields the server granted before the browser
posts them to S3, as a user editing the page would (to send another content type than the one signed).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>upload</title></head><body>
<input type="file" id="file-input"><pre id="out"></pre>
<script>
const csrftoken = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];

async function uploadFileToS3(file) {
    // Step 1: Get upload credentials from your backend
    const formData = new FormData();
    formData.append('filename', file.name);
    formData.append('content_type', file.type);

    const credentialsResponse = await fetch('/api/uploads/credentials/', {
        method: 'POST',
        headers: {'X-CSRFToken': csrftoken},
        body: formData
    });

    const credentials = await credentialsResponse.json();

    // Step 2: Upload directly to S3
    const uploadForm = new FormData();

    // Add all form fields from backend
    for (const [key, value] of Object.entries(credentials.form_fields)) {
        uploadForm.append(key, value);
    }

    // Add the file last
    uploadForm.append('file', file);

    const uploadResponse = await fetch(credentials.form_url, {
        method: 'POST',
        body: uploadForm
    });

    if (uploadResponse.ok) {
        // Step 3: Confirm upload with your backend
        const confirmForm = new FormData();
        confirmForm.append('upload_id', credentials.upload_id);

        await fetch('/api/uploads/confirm/', {
            method: 'POST',
            headers: {'X-CSRFToken': csrftoken},
            body: confirmForm
        });

        return {
            success: true,
            url: credentials.file_url,
            upload_id: credentials.upload_id
        };
    } else {
        throw new Error('Upload failed');
    }
}

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


def upload_page(request: HttpRequest) -> HttpResponse:
    """The page, with Django's CSRF cookie set."""
    get_token(request)
    return HttpResponse(PAGE)
