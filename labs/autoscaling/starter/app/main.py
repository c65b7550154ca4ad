"""pettracker-ml: identifies a pet's breed from a photo.

An ASGI app (FastAPI). In production it runs under Gunicorn with Uvicorn workers.
"""
import os

from fastapi import FastAPI, Request

from app.breeds import identify_breed

MODEL_PATH = os.environ.get("MODEL_PATH", "models/breeds-v3.onnx")

VERSION = "v1"  # the breed model v3

app = FastAPI(title="pettracker-ml", version=VERSION)


@app.get("/")
def index():
    # The load balancer's health check asks for "/" unless the environment names another path.
    return {"service": "pettracker-ml", "version": VERSION, "endpoints": ["/health", "/identify"]}


@app.get("/health")
def health():
    return {"status": "ok", "model": MODEL_PATH}


@app.post("/identify")
async def identify(request: Request):
    photo = await request.body()
    return identify_breed(photo)
