// The integrations guide's `uploadFileToS3`, with the CSRF header Django asks for on its two calls to this
// site (`csrftoken`, from Django's CSRF cookie). Included by upload.html.
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
