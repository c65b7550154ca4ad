"""pettracker-ml: identifies a pet's breed from a photo.

An ASGI app (FastAPI), run by Gunicorn with Uvicorn workers (see the Procfile). Its configuration comes from
the environment (app/settings.py).
"""
from fastapi import FastAPI, Request

from app import settings
from app.breeds import identify_breed

app = FastAPI(title="pettracker-ml")


@app.get("/")
def index():
    return {"service": "pettracker-ml", "endpoints": ["/health", "/identify"]}


@app.get("/health")
def health():
    return {"status": "ok", "model": settings.MODEL_PATH, "log_level": settings.LOG_LEVEL}


@app.post("/identify")
async def identify(request: Request):
    photo = await request.body()
    return identify_breed(photo)
