"""pettracker-ml: identifies a pet's breed from a photo.

An ASGI app (FastAPI). On the Python platform, the Procfile starts it under Gunicorn with Uvicorn workers; the
model (models/breeds-v4.onnx) ships with the code and is read on the first prediction.
"""
import os

from fastapi import FastAPI, Request

from app.breeds import identify_breed

MODEL_PATH = os.environ.get("MODEL_PATH", "models/breeds-v4.onnx")

VERSION = "v4"

app = FastAPI(title="pettracker-ml", version=VERSION)

_model = None


def load_model() -> bytes:
    # Read once per worker, on the first prediction: a worker boots in a second and /health answers at once.
    global _model
    if _model is None:
        with open(MODEL_PATH, "rb") as model_file:
            _model = model_file.read()
    return _model


@app.get("/")
def index():
    return {"service": "pettracker-ml", "version": VERSION, "endpoints": ["/health", "/predict"]}


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/predict")
async def predict(request: Request):
    photo = await request.body()
    model = load_model()
    return identify_breed(photo, model)
