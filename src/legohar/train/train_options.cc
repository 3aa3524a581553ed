// Implementation of train_options.h.
#include "legohar/train/train_options.h"

namespace legohar {

nlohmann::json TrainOptions::to_json() const {
  return {{"epochs", epochs},    {"batch_size", batch_size}, {"lr", lr},
          {"lr_step", lr_step},  {"lr_gamma", lr_gamma},     {"weight_decay", weight_decay},
          {"mask_lr", mask_lr},  {"balance", balance},       {"freeze_mask", freeze_mask},
          {"loss", loss},        {"alpha", alpha},           {"dropout", dropout},
          {"greedy", greedy},    {"head_lr", head_lr},       {"seed", seed},
          {"protocol", protocol}};
}

TrainOptions TrainOptions::from_json(const nlohmann::json& j) {
  TrainOptions o;
  j.at("epochs").get_to(o.epochs);
  j.at("batch_size").get_to(o.batch_size);
  j.at("lr").get_to(o.lr);
  j.at("lr_step").get_to(o.lr_step);
  j.at("lr_gamma").get_to(o.lr_gamma);
  j.at("weight_decay").get_to(o.weight_decay);
  j.at("mask_lr").get_to(o.mask_lr);
  j.at("balance").get_to(o.balance);
  j.at("freeze_mask").get_to(o.freeze_mask);
  o.loss = j.value("loss", o.loss);
  o.alpha = j.value("alpha", o.alpha);
  o.dropout = j.value("dropout", o.dropout);
  o.greedy = j.value("greedy", o.greedy);
  o.head_lr = j.value("head_lr", o.head_lr);
  j.at("seed").get_to(o.seed);
  j.at("protocol").get_to(o.protocol);
  return o;
}

}  // namespace legohar
